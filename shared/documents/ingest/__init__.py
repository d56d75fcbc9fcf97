"""The ingest stage, raw blob to derived files: `handle` runs one `ingest.request`, `pipeline` turns bytes
into sections (sniff, zip checks, `legacy` conversion, the sandboxed `extract`), `render` writes the
structure JSON, Markdown and images, and `commit` makes the results visible in one transaction."""
