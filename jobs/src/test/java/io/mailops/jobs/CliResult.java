package io.mailops.jobs;

import io.mailops.jobs.cli.RawOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * What one {@code mailops} invocation printed and returned, for tests: standard output through
 * the same {@link RawOutput} as {@code MailOpsCli.main}, as text ({@code out}) and as the bytes
 * written ({@code outBytes}).
 */
public record CliResult(int code, String out, String err, byte[] outBytes) {

  public static CliResult run(Map<String, String> env, String... args) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    RawOutput out = new RawOutput(bytes);
    StringWriter err = new StringWriter();
    int code = MailOpsCli.execute(out, new PrintWriter(err), env, false, args);
    out.flush();
    return new CliResult(code, bytes.toString(StandardCharsets.UTF_8), err.toString(),
        bytes.toByteArray());
  }

  /** {@link #run(Map, String...)} with {@code --config config} after {@code args}. */
  public static CliResult run(Map<String, String> env, java.nio.file.Path config, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--config";
    all[args.length + 1] = config.toString();
    return run(env, all);
  }
}
