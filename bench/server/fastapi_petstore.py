"""The petstore on FastAPI (pydantic 1 models equivalent to specs/petstore.yaml), for
bench/server_bench.sh. Run: uvicorn --app-dir bench/server fastapi_petstore:app
Same store semantics as examples/petstore: a name index and a tag index, one lock per process
Each uvicorn worker is a process with a store of its own, so each seeds itself at start with the
BENCH_SEED pets that bench/server_bench.sh posts to the C++ servers; pets created later live in
the worker that took the request."""
import datetime
import itertools
import os
import threading
from enum import Enum
from typing import Dict, List, Optional, Set

from fastapi import FastAPI, Header, Query, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Extra, conint, conlist, constr, confloat


class PetStatus(str, Enum):
    available = "available"
    pending = "pending"
    sold = "sold"


class Category(BaseModel):
    id: Optional[int]
    name: constr(min_length=1, max_length=32)

    class Config:
        extra = Extra.forbid


class NewPet(BaseModel):
    name: constr(min_length=1, max_length=64, regex=r"^[A-Za-z0-9 -]+$")
    status: PetStatus
    category: Category
    tags: Optional[conlist(constr(min_length=1, max_length=16), max_items=5, unique_items=True)]
    birthDate: Optional[datetime.date]
    weightKg: Optional[confloat(gt=0, le=500)]
    nickname: Optional[constr(max_length=32)]


class Pet(NewPet):
    id: conint(ge=1)


app = FastAPI()
lock = threading.Lock()
pets: Dict[int, dict] = {}
names: Dict[str, int] = {}
by_tag: Dict[str, Set[int]] = {}
next_id = 1


def stored(pet_id: int, body: NewPet) -> dict:
    return {"id": pet_id, **body.dict(exclude_unset=True)}


def index(pet: dict) -> None:
    names[pet["name"]] = names.get(pet["name"], 0) + 1
    for tag in pet.get("tags") or []:
        by_tag.setdefault(tag, set()).add(pet["id"])


def unindex(pet: dict) -> None:
    names[pet["name"]] -= 1
    if names[pet["name"]] == 0:
        del names[pet["name"]]
    for tag in pet.get("tags") or []:
        by_tag[tag].discard(pet["id"])


def not_found(pet_id: int) -> JSONResponse:
    return JSONResponse({"code": 404, "message": f"no pet has id {pet_id}"}, status_code=404)


@app.get("/pets", response_model=List[Pet], response_model_exclude_unset=True)
def list_pets(response: Response,
              limit: conint(ge=1, le=100) = 20,
              tags: Optional[List[constr(min_length=1)]] = Query(None, max_items=10),
              x_request_id: Optional[constr(regex=r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")] = Header(None)):
    with lock:
        if not tags:
            out = list(itertools.islice(pets.values(), limit))  # dicts keep id order
            matched = len(pets)
        else:
            sets = sorted((by_tag.get(t, set()) for t in tags), key=len)
            hits = sorted(i for i in sets[0] if all(i in s for s in sets[1:]))
            out = [pets[i] for i in hits[:limit]]
            matched = len(hits)
    response.headers["X-Total-Count"] = str(matched)
    return out


@app.post("/pets", status_code=201, response_model=Pet, response_model_exclude_unset=True)
def create_pet(body: NewPet):
    global next_id
    with lock:
        if body.name in names:
            return JSONResponse({"code": 409, "message": f"a pet named '{body.name}' exists already"},
                                status_code=409)
        pet = stored(next_id, body)
        next_id += 1
        pets[pet["id"]] = pet
        index(pet)
    return pet


@app.get("/pets/{pet_id}", response_model=Pet, response_model_exclude_unset=True)
def get_pet(pet_id: conint(ge=1)):
    with lock:
        pet = pets.get(pet_id)
    return pet if pet is not None else not_found(pet_id)


@app.put("/pets/{pet_id}", response_model=Pet, response_model_exclude_unset=True)
def update_pet(pet_id: conint(ge=1), body: NewPet):
    with lock:
        if pet_id not in pets:
            return not_found(pet_id)
        unindex(pets[pet_id])
        pets[pet_id] = stored(pet_id, body)
        index(pets[pet_id])
        return pets[pet_id]


@app.delete("/pets/{pet_id}", status_code=204)
def delete_pet(pet_id: conint(ge=1)):
    with lock:
        if pet_id not in pets:
            return not_found(pet_id)
        unindex(pets.pop(pet_id))
    return Response(status_code=204)


def seed(count: int) -> None:
    for i in range(1, count + 1):
        create_pet(NewPet(name=f"seed-{i}", status="available", category={"id": 1, "name": "dogs"},
                          tags=["seed", f"g{i % 3}"], birthDate="2020-01-02", weightKg=12.5))


seed(int(os.environ.get("BENCH_SEED", "0")))
