package io.mailops.snmp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.snmp4j.agent.AgentConfigManager;
import org.snmp4j.agent.mo.snmp.SnmpNotificationMIB;
import org.snmp4j.agent.mo.snmp.StorageType;
import org.snmp4j.agent.mo.snmp.TransportDomains;
import org.snmp4j.agent.mo.snmp.VacmMIB;
import org.snmp4j.agent.security.MutableVACM;
import org.snmp4j.mp.MessageProcessingModel;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.SecurityLevel;
import org.snmp4j.security.SecurityModel;
import org.snmp4j.security.UsmUser;
import org.snmp4j.smi.GenericAddress;
import org.snmp4j.smi.OID;
import org.snmp4j.smi.OctetString;
import org.snmp4j.smi.UdpAddress;

/**
 * Writes our configuration into SNMP4J-Agent's community, USM, VACM and target tables, and takes it
 * out again on reload. All entries are volatile (nothing persists: {@code mailops.yml} is the
 * configuration). One view, {@code mailops}, holds SNMPv2-MIB {@code system} and {@code snmp}, our
 * subtree and {@code snmpTraps}; it is the read and notify view of every group, the write view is
 * empty. v2c communities map to security names {@code c1, c2, …} so that a v2c trap carries the
 * community its security name came from (see {@link MailOpsAgent}). Not thread-safe; the agent
 * serialises calls.
 */
final class AgentAccess {

  static final OctetString VIEW = new OctetString("mailops");
  static final OctetString TAG_TARGETS = new OctetString("mailops-targets");
  static final OctetString TAG_MANAGERS = new OctetString("mailops-managers");
  private static final OctetString GROUP_V2C = new OctetString("mailops-ro");
  private static final OctetString GROUP_V3 = new OctetString("mailops-v3");
  private static final OctetString GROUP_NOTIFY = new OctetString("mailops-notify");
  private static final OctetString NONE = new OctetString();
  private static final String[] VISIBLE = {"1.3.6.1.2.1.1", "1.3.6.1.2.1.11", "1.3.6.1.6.3.1.1.5"};

  private final AgentConfigManager agent;
  private final OctetString engineId;
  private final List<OctetString> communityRows = new ArrayList<>();
  private final List<OctetString> v2cNames = new ArrayList<>();
  private final List<String> userNames = new ArrayList<>();
  private final List<OctetString> targetRows = new ArrayList<>();
  private final List<OctetString> managerRows = new ArrayList<>();
  private final Map<String, OctetString> securityNames = new HashMap<>();

  AgentAccess(AgentConfigManager agent, OctetString engineId, OID base) {
    this.agent = agent;
    this.engineId = engineId;
    VacmMIB vacm = agent.getVacmMIB();
    for (String visible : VISIBLE) {
      vacm.addViewTreeFamily(VIEW, new OID(visible), NONE, VacmMIB.vacmViewIncluded, StorageType.volatile_);
    }
    vacm.addViewTreeFamily(VIEW, base, NONE, VacmMIB.vacmViewIncluded, StorageType.volatile_);
    vacm.addAccess(GROUP_V2C, NONE, SecurityModel.SECURITY_MODEL_SNMPv2c, SecurityLevel.NOAUTH_NOPRIV,
        MutableVACM.VACM_MATCH_EXACT, VIEW, NONE, VIEW, StorageType.volatile_);
    vacm.addAccess(GROUP_NOTIFY, NONE, SecurityModel.SECURITY_MODEL_SNMPv2c, SecurityLevel.NOAUTH_NOPRIV,
        MutableVACM.VACM_MATCH_EXACT, NONE, NONE, VIEW, StorageType.volatile_);
    vacm.addAccess(GROUP_V3, NONE, SecurityModel.SECURITY_MODEL_USM, SecurityLevel.AUTH_PRIV,
        MutableVACM.VACM_MATCH_EXACT, VIEW, NONE, VIEW, StorageType.volatile_);
    agent.getSnmpNotificationMIB().addNotifyEntry(TAG_TARGETS, TAG_TARGETS,
        SnmpNotificationMIB.SnmpNotifyTypeEnum.trap, StorageType.volatile_);
    agent.getSnmpNotificationMIB().addNotifyEntry(TAG_MANAGERS, TAG_MANAGERS,
        SnmpNotificationMIB.SnmpNotifyTypeEnum.trap, StorageType.volatile_);
  }

  /** Replaces the communities, users and trap targets with those of {@code s}. */
  void apply(SnmpSettings s) {
    clear();
    int n = 0;
    for (String community : s.communities()) {
      community(community, "c" + ++n, GROUP_V2C);
    }
    for (SnmpUser u : s.users()) {
      OctetString name = new OctetString(u.name());
      agent.getUsm().addUser(new UsmUser(name, authId(u.auth()), new OctetString(u.authPassword()), privId(u.priv()),
          new OctetString(u.privPassword())));
      agent.getVacmMIB().addGroup(SecurityModel.SECURITY_MODEL_USM, name, GROUP_V3, StorageType.volatile_);
      userNames.add(u.name());
    }
    int t = 0;
    for (TrapTarget target : s.traps().targets()) {
      OctetString securityName;
      if (target.community() != null) {
        securityName = securityNames.get(target.community());
        if (securityName == null) {
          securityName = community(target.community(), "t" + (t + 1), GROUP_NOTIFY);
        }
      } else {
        securityName = new OctetString(target.user());
      }
      target(new OctetString("mailops-t" + ++t), target.address(), TAG_TARGETS, target.user() != null, securityName,
          targetRows);
    }
  }

  /** Replaces the querying managers' targets with {@code managers}, each at its IP and {@code port}. */
  void managers(List<Managers.Manager> managers, int port) {
    for (OctetString row : managerRows) {
      agent.getSnmpTargetMIB().removeTargetAddress(row);
      agent.getSnmpTargetMIB().removeTargetParams(row);
    }
    managerRows.clear();
    int m = 0;
    for (Managers.Manager manager : managers) {
      OctetString securityName = manager.v3() ? new OctetString(manager.securityName())
          : securityNames.get(manager.securityName());
      if (securityName != null) {
        target(new OctetString("mailops-m" + ++m), "udp:" + manager.ip() + "/" + port, TAG_MANAGERS, manager.v3(),
            securityName, managerRows);
      }
    }
  }

  private OctetString community(String community, String name, OctetString group) {
    OctetString securityName = new OctetString(name);
    OctetString row = new OctetString("mailops-" + name);
    agent.getSnmpCommunityMIB().addSnmpCommunityEntry(row, new OctetString(community), securityName, engineId, NONE,
        NONE, StorageType.volatile_);
    agent.getVacmMIB().addGroup(SecurityModel.SECURITY_MODEL_SNMPv2c, securityName, group, StorageType.volatile_);
    communityRows.add(row);
    v2cNames.add(securityName);
    securityNames.put(community, securityName);
    return securityName;
  }

  private void target(OctetString row, String address, OctetString tag, boolean v3, OctetString securityName,
      List<OctetString> rows) {
    UdpAddress udp = (UdpAddress) GenericAddress.parse(address);
    if (udp == null) {
      throw new IllegalArgumentException("trap target " + address + " is not a UDP address; use udp:HOST/PORT");
    }
    agent.getSnmpTargetMIB().addTargetAddress(row, TransportDomains.transportDomainUdpIpv4,
        new OctetString(udp.getValue()), 200, 1, tag, row, StorageType.volatile_);
    if (v3) {
      agent.getSnmpTargetMIB().addTargetParams(row, MessageProcessingModel.MPv3, SecurityModel.SECURITY_MODEL_USM,
          securityName, SecurityLevel.AUTH_PRIV, StorageType.volatile_);
    } else {
      agent.getSnmpTargetMIB().addTargetParams(row, MessageProcessingModel.MPv2c,
          SecurityModel.SECURITY_MODEL_SNMPv2c, securityName, SecurityLevel.NOAUTH_NOPRIV, StorageType.volatile_);
    }
    rows.add(row);
  }

  private void clear() {
    managers(List.of(), 162);
    for (OctetString row : targetRows) {
      agent.getSnmpTargetMIB().removeTargetAddress(row);
      agent.getSnmpTargetMIB().removeTargetParams(row);
    }
    for (OctetString row : communityRows) {
      agent.getSnmpCommunityMIB().removeSnmpCommuntiyEntry(row);
    }
    for (OctetString name : v2cNames) {
      agent.getVacmMIB().removeGroup(SecurityModel.SECURITY_MODEL_SNMPv2c, name);
    }
    for (String user : userNames) {
      agent.getUsm().removeAllUsers(new OctetString(user));
      agent.getVacmMIB().removeGroup(SecurityModel.SECURITY_MODEL_USM, new OctetString(user));
    }
    targetRows.clear();
    communityRows.clear();
    v2cNames.clear();
    userNames.clear();
    securityNames.clear();
  }

  private static OID authId(SnmpUser.Auth auth) {
    return switch (auth) {
      case SHA -> AuthSHA.ID;
      case SHA256 -> AuthHMAC192SHA256.ID;
      case SHA512 -> AuthHMAC384SHA512.ID;
    };
  }

  private static OID privId(SnmpUser.Priv priv) {
    return switch (priv) {
      case AES128 -> PrivAES128.ID;
      case AES256 -> PrivAES256.ID;
    };
  }
}
