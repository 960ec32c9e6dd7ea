package io.mailops.snmp;

import java.util.Map;
import java.util.Optional;
import org.snmp4j.PDU;
import org.snmp4j.agent.MOScope;
import org.snmp4j.agent.mo.MOAccessImpl;
import org.snmp4j.agent.mo.MOScalar;
import org.snmp4j.agent.request.SubRequest;
import org.snmp4j.smi.Null;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.Variable;

/**
 * One read-only parameter scalar whose value is looked up in the {@link MetricsCache} on every
 * request: {@code noSuchInstance} (and skipped by GETNEXT) while the parameter has no data,
 * {@code genErr} when the store cannot be read.
 */
final class ParameterScalar extends MOScalar<Variable> {

  private final String parameter;
  private final MetricsCache cache;

  /** {@code syntax} carries the SMI type only (for SET validation); it is never served. */
  ParameterScalar(OID instance, String parameter, Variable syntax, MetricsCache cache) {
    super(instance, MOAccessImpl.ACCESS_READ_ONLY, syntax);
    this.parameter = parameter;
    this.cache = cache;
    setVolatile(true);
  }

  @Override
  public Variable getValue() {
    return cache.values().map(v -> v.get(parameter)).orElse(null);
  }

  @Override
  public void get(SubRequest<?> request) {
    Optional<Map<String, Variable>> values = cache.values();
    if (values.isEmpty()) {
      request.getStatus().setErrorStatus(PDU.genErr);
      request.completed();
    } else if (!values.get().containsKey(parameter)) {
      if (checkRequestScope(request)) {
        request.getVariableBinding().setVariable(Null.noSuchInstance);
        request.completed();
      }
    } else {
      super.get(request);
    }
  }

  /**
   * Not found while the parameter has no data, so that the server's lookup passes it over: a scalar
   * that declines in {@link #next} instead lets SNMP4J-Agent 3.8.3 hand the next object after our
   * subtree out without its view check.
   */
  @Override
  public OID find(MOScope range) {
    return getValue() == null ? null : super.find(range);
  }

  @Override
  public boolean next(SubRequest<?> request) {
    return getValue() != null && super.next(request);
  }
}
