"""Sign-in with Google and Microsoft: the provider port and adapters, the pending flows, and
linking a verified identity to a user."""
