"""SQL of the canvas context, one module per aggregate (connections, content, files, runs, schedule, reads)."""
