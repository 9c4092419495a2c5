# A FastAPI app (Debian's python3-fastapi, served by uvicorn) for `golive init`: FastAPI writes the
# OpenAPI document at /openapi.json itself. Prints the port it listens on, then serves.
import itertools
import random
import socket

import uvicorn
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel, Field

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


class Order(BaseModel):
    item: str = Field(..., example="bolt")
    quantity: int = Field(..., example=3, ge=1)


class Placed(Order):
    id: int


# ids start at a random offset: a client that reads an order back must use the id it was given
next_id = itertools.count(random.randint(10_000, 90_000))
orders = {}


@app.post("/orders", status_code=201, response_model=Placed)
def place(order: Order):
    if len(orders) > 10_000:
        orders.clear()
    placed = Placed(id=next(next_id), **order.dict())
    orders[placed.id] = placed
    return placed


@app.get("/orders/{order_id}", response_model=Placed)
def order(order_id: int):
    if order_id not in orders:
        raise HTTPException(status_code=404, detail="no such order")
    return orders[order_id]


@app.get("/healthz")
def healthz():
    return {"ok": True}


sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.bind(("127.0.0.1", 0))
sock.listen(128)
print(sock.getsockname()[1], flush=True)
uvicorn.Server(uvicorn.Config(app, log_level="warning")).run(sockets=[sock])
