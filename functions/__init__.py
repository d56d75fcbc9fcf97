"""Azure bindings only: thin, one module per trigger family, no logic."""
