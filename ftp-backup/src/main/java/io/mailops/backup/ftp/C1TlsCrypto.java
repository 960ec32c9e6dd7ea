package io.mailops.backup.ftp;

import java.io.IOException;
import java.security.SecureRandom;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipher;
import org.bouncycastle.tls.crypto.impl.bc.BcChaCha20Poly1305;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Bouncy Castle's TLS crypto over the JDK's (JCA) providers, plus ChaCha20-Poly1305 from Bouncy
 * Castle's lightweight engines. The JDK names its cipher {@code ChaCha20-Poly1305}, not the
 * {@code ChaCha7539} + {@code Poly1305} pair Bouncy Castle's JCA path asks for, so over the JDK
 * alone BCJSSE offers no ChaCha20 suite. Used when the JVM runs without C2 (an explicit
 * incremental backup, ADR 0020): there the JDK's AES-GCM runs its GHASH as plain Java, about
 * three times the CPU of ChaCha20-Poly1305 per byte (ADR 0032).
 */
final class C1TlsCrypto extends JcaTlsCrypto {

  private C1TlsCrypto(JcaJceHelper helper, JcaJceHelper alt, SecureRandom keys,
      SecureRandom nonces) {
    super(helper, alt, keys, nonces);
  }

  /** Makes a {@link C1TlsCrypto} for each SSL context. */
  static final class Provider extends JcaTlsCryptoProvider {
    @Override
    public JcaTlsCrypto create(SecureRandom keys, SecureRandom nonces) {
      return new C1TlsCrypto(getHelper(), getAltHelper(), keys, nonces);
    }
  }

  @Override
  public boolean hasEncryptionAlgorithm(int encryptionAlgorithm) {
    return encryptionAlgorithm == EncryptionAlgorithm.CHACHA20_POLY1305
        || super.hasEncryptionAlgorithm(encryptionAlgorithm);
  }

  @Override
  public TlsCipher createCipher(TlsCryptoParameters params, int encryptionAlgorithm,
      int macAlgorithm) throws IOException {
    if (encryptionAlgorithm == EncryptionAlgorithm.CHACHA20_POLY1305) {
      return new TlsAEADCipher(params, new BcChaCha20Poly1305(true),
          new BcChaCha20Poly1305(false), 32, 16, TlsAEADCipher.AEAD_CHACHA20_POLY1305);
    }
    return super.createCipher(params, encryptionAlgorithm, macAlgorithm);
  }
}
