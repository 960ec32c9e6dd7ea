package io.mailops.archiver;

import static org.assertj.core.api.Assertions.assertThat;

import io.mailops.archiver.mime.MimeSplitter;
import io.mailops.archiver.mime.MimeSplitter.Attachment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MimeSplitterTest {

  @Test
  void anAttachmentShouldBeItsEncodedBodyWithoutTheLineBreakBeforeTheBoundary() {
    byte[] m = Mails.withAttachment("s", "a.pdf", new byte[] {1, 2, 3, 4, 5, 6});

    List<Attachment> found = MimeSplitter.attachments(m);

    assertThat(found).singleElement().satisfies(a -> {
      assertThat(a.name()).isEqualTo("a.pdf");
      assertThat(a.type()).isEqualTo("application/pdf");
      assertThat(a.encoding()).isEqualTo("base64");
      assertThat(new String(m, a.start(), a.length(), StandardCharsets.US_ASCII))
          .isEqualTo("AQIDBAUG");
    });
  }

  @Test
  void nestedPartsAndForwardedMessagesShouldBeWalkedButTextBodiesKept() {
    List<Attachment> found = MimeSplitter.attachments(Mails.varied().get(2));

    assertThat(found).extracting(Attachment::name).containsExactly("a.png", "notes.txt");
  }

  @Test
  void mailThatIsNotMimeOrIsMalformedShouldYieldNoAttachments() {
    assertThat(MimeSplitter.attachments(Mails.plain(1))).isEmpty();
    assertThat(MimeSplitter.attachments(Mails.varied().get(5))).isEmpty();
    assertThat(MimeSplitter.attachments(Mails.varied().get(6))).isEmpty();
    assertThat(MimeSplitter.attachments(new byte[0])).isEmpty();
  }
}
