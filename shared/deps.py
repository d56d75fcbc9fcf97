"""FastAPI dependencies every router shares.

The container is the one `create_app` was given, kept on `app.state`. The dependency is
`async` on purpose: FastAPI runs a plain `def` dependency on a worker thread, and handing each
request to a thread and back only to read an attribute costs more than the read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from shared.container import Container


def container_of(request: Request) -> Container:
    """The container of the app serving `request` (for a dependency that needs it without declaring it)."""
    container: Container = request.app.state.container
    return container


async def provide_container(request: Request) -> Container:
    return container_of(request)


ContainerDep = Annotated[Container, Depends(provide_container)]
