package io.mailops.archiver;

import static io.mailops.archiver.Mails.ALICE;
import static io.mailops.archiver.Mails.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.luben.zstd.Zstd;
import io.mailops.storage.crypto.Argon2id;
import io.mailops.storage.crypto.SegmentedCipher;
import io.mailops.storage.memory.InMemoryMailStore;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/** Reads a volume file following docs/archive-format.md only, without the archiver's classes. */
class VolumeFormatTest {

  static final JsonMapper JSON = JsonMapper.builder().build();

  @TempDir
  Path tmp;

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(byte[] json) {
    return JSON.readValue(json, Map.class);
  }

  @Test
  void aVolumeShouldBeReadableWithThePasswordAndTheFormatDocumentAlone() throws Exception {
    List<byte[]> mails = List.of(Mails.withAttachment("doc", "d.pdf", Mails.random(70_000, 5)),
        Mails.plain(2), Mails.varied().get(2));
    Path dir = tmp.resolve("archive");
    try (Archive a = Archive.init(dir, PASSWORD, Mails.options());
        InMemoryMailStore s = Mails.store(ALICE, mails)) {
      a.ingest(s, "maildir", IngestListener.NONE);
      a.seal(Instant.parse("2030-01-01T00:00:00Z")).orElseThrow();
    }
    byte[] vol = Files.readAllBytes(dir.resolve("volumes/V000001.vol"));
    ByteBuffer b = ByteBuffer.wrap(vol);

    byte[] magic = new byte[8];
    b.get(magic);
    assertThat(new String(magic, StandardCharsets.US_ASCII)).isEqualTo("MOARCV01");
    byte[] headerBytes = new byte[b.getInt()];
    b.get(headerBytes);
    Map<String, Object> header = map(headerBytes);
    int segment = (Integer) header.get("segmentSize");
    SegmentedCipher master = new SegmentedCipher(Argon2id.derive(PASSWORD,
        Base64.getDecoder().decode((String) header.get("salt")),
        new Argon2id.Params((Integer) header.get("memoryKiB"), (Integer) header.get("iterations"),
            (Integer) header.get("parallelism"))), segment);
    byte[] key = master.open(Base64.getDecoder().decode((String) header.get("key")),
        SegmentedCipher.aad("mailops-archive key volume V000001"), "key");
    SegmentedCipher cipher = new SegmentedCipher(new javax.crypto.spec.SecretKeySpec(key, "AES"),
        segment);

    assertThat(new String(vol, vol.length - 8, 8, StandardCharsets.US_ASCII))
        .isEqualTo("MOARCEND");
    Map<String, byte[]> frames = new HashMap<>();
    b.position(8 + 4 + headerBytes.length);
    while (b.position() < vol.length - 16) {
      byte[] name = new byte[b.getInt()];
      b.get(name);
      byte[] sealed = new byte[(int) b.getLong()];
      b.get(sealed);
      String n = new String(name, StandardCharsets.UTF_8);
      frames.put(n, cipher.open(sealed, SegmentedCipher.aad("volume V000001 " + n), n));
    }
    long manifestOffset = ByteBuffer.wrap(vol, vol.length - 16, 8).getLong();
    assertThat(ByteBuffer.wrap(vol, (int) manifestOffset, 4).getInt()).isEqualTo(13);
    Map<String, Object> manifest = map(frames.get("manifest.json"));
    assertThat(manifest.get("headerSha256")).isEqualTo(sha(headerBytes));
    assertThat(manifest.get("count")).isEqualTo(3);

    @SuppressWarnings("unchecked")
    List<Map<String, Object>> records = JSON.readValue(frames.get("records.json"), List.class);
    List<byte[]> back = new ArrayList<>();
    for (Map<String, Object> r : records) {
      byte[] skeleton = blob(frames, (String) r.get("skeleton"));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int pos = 0;
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> parts = (List<Map<String, Object>>) r.get("parts");
      for (Map<String, Object> p : parts) {
        int offset = ((Number) p.get("offset")).intValue();
        out.write(skeleton, pos, offset - pos);
        out.write(blob(frames, (String) p.get("blob")));
        pos = offset;
      }
      out.write(skeleton, pos, skeleton.length - pos);
      assertThat(sha(out.toByteArray())).isEqualTo(r.get("digest"));
      back.add(out.toByteArray());
    }
    assertThat(back).zipSatisfy(mails, (got, want) -> assertThat(got).isEqualTo(want));
    assertThat(frames.keySet()).anyMatch(n -> n.startsWith("index/"));
  }

  static byte[] blob(Map<String, byte[]> frames, String id) {
    byte[] frame = frames.get("blob/" + id);
    return Zstd.decompress(frame, (int) Zstd.getFrameContentSize(frame));
  }

  static String sha(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

}
