"""The local runner: embedded services, the gateway under uvicorn, drains, timers, blob watcher."""
