"""FastAPI dependencies every router shares.

The container dependency is `async` on purpose: FastAPI runs a plain `def` dependency on a
worker thread, and handing each request to a thread and back only to read a process-wide
singleton costs more than the read.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends

from shared.container import Container, get_container


async def provide_container() -> Container:
    return get_container()


ContainerDep = Annotated[Container, Depends(provide_container)]
