"""SQL of the search context, by what it serves: `entries` writes the index, `hits` pages
`GET /v1/search`, `retrieval` finds the section passages that may answer a question."""
