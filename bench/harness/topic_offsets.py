"""Prints the sum of a topic's end offsets (one integer): how many records the topic has ever held.
The ingest bench reads it before and after a run to count the pins that really reached Kafka.

Settings (env): PINPIPE_KAFKA_BOOTSTRAP (127.0.0.1:9092). Argument: the topic (PinterestTopic).
"""
import os
import sys

from kafka import KafkaConsumer, TopicPartition

topic = sys.argv[1] if len(sys.argv) > 1 else "PinterestTopic"
consumer = KafkaConsumer(bootstrap_servers=os.environ.get("PINPIPE_KAFKA_BOOTSTRAP", "127.0.0.1:9092"))
partitions = consumer.partitions_for_topic(topic) or set()
ends = consumer.end_offsets([TopicPartition(topic, p) for p in partitions])
print(sum(ends.values()))
consumer.close()
