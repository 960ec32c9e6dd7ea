package io.mailops.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** What one {@code mailops} invocation printed and returned, for tests. */
public record CliResult(int code, String out, String err) {

  public static CliResult run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = MailOpsCli.execute(new PrintWriter(out), new PrintWriter(err), env, false, args);
    return new CliResult(code, out.toString(), err.toString());
  }

  /** {@link #run(Map, String...)} with {@code --config config} after {@code args}. */
  public static CliResult run(Map<String, String> env, java.nio.file.Path config, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--config";
    all[args.length + 1] = config.toString();
    return run(env, all);
  }
}
