package dev.pinpipe.archive;

import dev.pinpipe.core.kafka.Lz4Native;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The archiver service: {@link PinArchiver} reads the pin topic ({@code pinpipe.archive.topic}) and writes the S3 archive. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BatchConsumerApplication {

    public static void main(String[] args) {
        LoggerFactory.getLogger(BatchConsumerApplication.class).info("lz4 decompression: {}", Lz4Native.preload());
        SpringApplication.run(BatchConsumerApplication.class, args);
    }
}
