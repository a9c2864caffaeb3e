package dev.pinpipe.archive;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The archiver service: {@link PinArchiver} reads {@code PinterestTopic} and writes the S3 archive. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class BatchConsumerApplication {

    public static void main(String[] args) {
        Lz4Native.preload();
        SpringApplication.run(BatchConsumerApplication.class, args);
    }
}
