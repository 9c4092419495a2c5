# A FastAPI app (Debian's python3-fastapi, served by uvicorn) for `golive init`: FastAPI writes the
# OpenAPI document at /openapi.json itself. Prints the port it listens on, then serves.
import socket

import uvicorn
from fastapi import FastAPI

app = FastAPI(title="Inventory")


@app.get("/items")
def items():
    return [{"id": 1, "name": "bolt"}]


@app.get("/items/{item_id}")
def item(item_id: int):
    return {"id": item_id}


@app.post("/items")
def make():
    return {"id": 2}


@app.get("/healthz")
def healthz():
    return {"ok": True}


sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
sock.listen(128)
print(sock.getsockname()[1], flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
