"""The seed's archiver, re-created for the benchmark (see bench/README.md, the seed peer).

A kafka-python KafkaConsumer subscribed to the topic (auto_offset_reset="earliest", auto-commit) and,
for every message, one boto3 put_object of the message pretty-printed (indent=4) under the key
consumer{i}.json, i counting from 1 at every start (so a restart overwrites earlier objects).

The seed ran forever; for measuring, SEED_PEER_MAX_MESSAGES stops it after that many messages (and
it stops after SEED_PEER_IDLE_MS without a message). It then prints one line of JSON: messages,
seconds from the first message to the last put, and pins/s.

Settings (env): PINPIPE_KAFKA_BOOTSTRAP, PINPIPE_S3_ENDPOINT, PINPIPE_S3_REGION,
PINPIPE_S3_ACCESS_KEY, PINPIPE_S3_SECRET_KEY, PINPIPE_S3_BUCKET, SEED_PEER_TOPIC (PinterestTopic),
SEED_PEER_GROUP (seed-archiver), SEED_PEER_MAX_MESSAGES (unbounded), SEED_PEER_IDLE_MS (30000).
"""
import json
import os
import sys
import time

import boto3
from kafka import KafkaConsumer

env = os.environ.get


def create_consumer():
    consumer = KafkaConsumer(
        bootstrap_servers=env("PINPIPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"),
        group_id=env("SEED_PEER_GROUP", "seed-archiver"),
        value_deserializer=lambda message: json.loads(message),
        auto_offset_reset="earliest",
        consumer_timeout_ms=int(env("SEED_PEER_IDLE_MS", "30000")),
    )
    consumer.subscribe(topics=[env("SEED_PEER_TOPIC", "PinterestTopic")])
    return consumer


def create_bucket():
    s3 = boto3.resource(
        "s3",
        endpoint_url=env("PINPIPE_S3_ENDPOINT", "http://127.0.0.1:9000"),
        region_name=env("PINPIPE_S3_REGION", "us-east-1"),
        aws_access_key_id=env("PINPIPE_S3_ACCESS_KEY", "pinpipe"),
        aws_secret_access_key=env("PINPIPE_S3_SECRET_KEY", "pinpipe-secret"),
    )
    return s3.Bucket(env("PINPIPE_S3_BUCKET", "pinterestdata"))


def upload_to_s3(consumer, bucket, max_messages):
    i = 0
    first = None
    for element in consumer:
        if first is None:
            first = time.perf_counter()
        i += 1
        bucket.put_object(Body=json.dumps(element.value, indent=4), Key=f"consumer{i}.json")
        if i == max_messages:
            break
    seconds = time.perf_counter() - first if first is not None else 0.0
    return i, seconds


if __name__ == "__main__":
    limit = env("SEED_PEER_MAX_MESSAGES")
    count, seconds = upload_to_s3(create_consumer(), create_bucket(), int(limit) if limit else None)
    rate = count / seconds if seconds > 0 else 0.0
    print(json.dumps({"stage": "archive", "messages": count, "seconds": round(seconds, 3), "pins_per_s": round(rate, 1)}))
    sys.exit(0 if count else 1)
