package dev.pinpipe.ingest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The ingest API: validates posted pins and publishes them to Kafka, answering only after the broker acked. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class IngestApiApplication {

    public static void main(String[] args) {
        SpringApplication.run(IngestApiApplication.class, args);
    }
}
