"""The seed's ingest API, re-created for the benchmark (see bench/README.md, the seed peer).

FastAPI + uvicorn with one worker; a pydantic model of the 11 fields; POST /pin/ turns the model into
a dict and hands it to kafka-python's KafkaProducer.send() with no key, a JSON value encoded as
ASCII, default acks, no flush and no wait on the returned future; the handler returns nothing, so
the answer is `200 null` even when the record never reaches the broker.

Settings (env): SEED_PEER_PORT (8001), PINPIPE_KAFKA_BOOTSTRAP (127.0.0.1:9092),
SEED_PEER_TOPIC (PinterestTopic).
"""
import json
import os

import uvicorn
from fastapi import FastAPI
from kafka import KafkaProducer
from pydantic import BaseModel

TOPIC = os.environ.get("SEED_PEER_TOPIC", "PinterestTopic")

app = FastAPI()

producer = KafkaProducer(
    bootstrap_servers=os.environ.get("PINPIPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
    client_id="Pinterest producer",
    value_serializer=lambda message: json.dumps(message).encode("ascii"),
)


class Data(BaseModel):
    category: str
    index: int
    unique_id: str
    title: str
    description: str
    follower_count: str
    tag_list: str
    is_image_or_video: str
    image_src: str
    downloaded: int
    save_location: str


@app.post("/pin/")
def get_db_row(item: Data):
    data = dict(item)
    producer.send(TOPIC, value=data)


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("SEED_PEER_PORT", "8001")), log_level="warning")
