package io.mailops.jobs.batch;

import io.mailops.jobs.config.MailOpsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The Spring Boot application behind the batch commands: the job repository (embedded H2 under
 * {@code MAILOPS_HOME} by default, PostgreSQL when {@code spring.datasource.url} says so, schema
 * created on first use), the job operator and the jobs of this package. Started only by commands
 * that run or inspect batch jobs.
 */
@SpringBootApplication
public class BatchApplication {

  /** Starts the context with {@code settings} as its properties; the caller closes it. */
  public static ConfigurableApplicationContext start(MailOpsSettings settings) throws java.io.IOException {
    Files.createDirectories(Path.of(settings.get("mailops.home"), "jobs"));
    return new SpringApplicationBuilder(BatchApplication.class)
        .web(WebApplicationType.NONE)
        .logStartupInfo(false)
        .properties(settings.asProperties())
        .registerShutdownHook(false)
        .initializers(ctx -> ctx.getBeanFactory().registerSingleton("mailOpsSettings", settings))
        .run();
  }
}
