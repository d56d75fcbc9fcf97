"""Settings, database, blobs, streams, errors and logging shared by every context."""
