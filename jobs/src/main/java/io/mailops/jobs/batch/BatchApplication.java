package io.mailops.jobs.batch;

import io.mailops.jobs.config.MailOpsSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.context.PropertyPlaceholderAutoConfiguration;
import org.springframework.boot.batch.jdbc.autoconfigure.BatchJdbcAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.ComponentScan;

/**
 * The Spring Boot application behind the batch commands: the job repository (embedded H2 under
 * {@code MAILOPS_HOME} by default, PostgreSQL when {@code spring.datasource.url} says so, schema
 * created on first use), the job operator and the jobs of this package. Started only by commands
 * that run or inspect batch jobs.
 *
 * <p>The auto-configurations are listed, not discovered (docs/adr/0021): the data source (Hikari),
 * its transaction manager, and Spring Batch's JDBC configuration (job repository, operator,
 * schema initializer) — what the commands use. The discovery ({@code @EnableAutoConfiguration})
 * also evaluated and applied AOP auto-proxying, {@code @Transactional} support, JDBC templates,
 * task executor/scheduler builders, SSL bundles and the job launcher runner, none of which the
 * batch commands use. The jobs' configurations are found by a component scan of this package
 * (a dozen classes; an {@code @Import} of them would make a package cycle with the jobs'
 * packages, which use this one). Further configurations (tests) come in through
 * {@code spring.main.sources}.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@ImportAutoConfiguration({PropertyPlaceholderAutoConfiguration.class, DataSourceAutoConfiguration.class,
    DataSourceTransactionManagerAutoConfiguration.class, BatchJdbcAutoConfiguration.class})
@ComponentScan
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
