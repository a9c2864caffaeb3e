"""Pre-fills a Kafka topic for the archive bench: creates it (3 partitions) if missing, then produces
the first N lines of an NDJSON file as records keyed by unique_id (as pinpipe's API does), value =
the line's bytes, and flushes. Prints one JSON line with the count and the topic's end offsets.

    python fill_topic.py --input pins.ndjson --count 20000 --topic bench.archive

Settings (env): PINPIPE_KAFKA_BOOTSTRAP.
"""
import argparse
import json
import os

from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.errors import TopicAlreadyExistsError

BOOTSTRAP = os.environ["PINPIPE_KAFKA_BOOTSTRAP"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--partitions", type=int, default=3)
    args = parser.parse_args()

    admin = KafkaAdminClient(bootstrap_servers=BOOTSTRAP)
    try:
        admin.create_topics([NewTopic(args.topic, args.partitions, 1)])
    except TopicAlreadyExistsError:
        pass
    admin.close()

    producer = KafkaProducer(bootstrap_servers=BOOTSTRAP, linger_ms=20, batch_size=262144, acks="all")
    sent = 0
    with open(args.input, "rb") as f:
        for line in f:
            if sent == args.count:
                break
            line = line.rstrip(b"\n")
            producer.send(args.topic, key=json.loads(line)["unique_id"].encode(), value=line)
            sent += 1
    producer.flush()
    producer.close()

    consumer = KafkaConsumer(bootstrap_servers=BOOTSTRAP)
    partitions = consumer.partitions_for_topic(args.topic) or set()
    ends = consumer.end_offsets([TopicPartition(args.topic, p) for p in partitions])
    consumer.close()
    print(json.dumps({"topic": args.topic, "sent": sent, "end_offsets_total": sum(ends.values())}))


if __name__ == "__main__":
    main()
