"""SQL of the search context, by what it serves: `entries` writes the index, `hits` pages `GET /v1/search`,
`passages` finds the sections that answer a question."""
