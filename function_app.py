"""The one Functions entry: the ASGI gateway plus the blueprints of every trigger family."""

import azure.functions as func

from functions import blobs, drains, timers
from shared.container import get_container
from shared.gateway import create_app

# The process container reads its settings on the first invocation, not while this is imported.
gateway = create_app(get_container(), freeze_heap=True)  # frozen on the first request, when the host starts it
app = func.AsgiFunctionApp(app=gateway, http_auth_level=func.AuthLevel.ANONYMOUS)
app.register_functions(blobs.bp)
app.register_functions(drains.bp)
app.register_functions(timers.bp)
