"""The local generator: deterministic and extractive, no network (`generator.LocalGenerator`)."""
