"""Prints the sum of a topic's end offsets (one integer): how many records the topic has ever held.
The ingest bench reads it before and after a run to count the pins that really reached Kafka.

Settings (env): PINPIPE_KAFKA_BOOTSTRAP. Argument: the topic (bench/run passes PINPIPE_TOPIC's value).
"""
import os
import sys

from kafka import KafkaConsumer, TopicPartition

topic = sys.argv[1]
consumer = KafkaConsumer(bootstrap_servers=os.environ["PINPIPE_KAFKA_BOOTSTRAP"])
partitions = consumer.partitions_for_topic(topic) or set()
ends = consumer.end_offsets([TopicPartition(topic, p) for p in partitions])
print(sum(ends.values()))
consumer.close()
