package io.mailops.backup;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads the three manifest documents ({@link SetManifest}, {@link FolderManifest},
 * {@link FolderDelta}) with Jackson's streaming parser into the same records databind would
 * make, through their canonical constructors (so their checks are the same). Databind's first
 * read of a type in a new process builds its deserializers by reflection and then calls each
 * record's constructor through method handles spun at run time: in a one-message restore that
 * was ~0.1 CPU s of the main thread and of C1's compile work (ADR 0037).
 *
 * <p>Same reading rules as {@link ManifestCodec}'s databind mapper (Jackson 3's defaults): unknown
 * properties are skipped, a missing property is {@code null} (a number: 0), {@code null} for a
 * number is an error, a number may be given as a string and a string as a number, nothing may
 * follow the document. Errors are {@link IllegalArgumentException}s or Jackson's own exceptions,
 * which {@link ManifestCodec#read} reports naming the file. Thread-safe.
 */
final class ManifestReader {

  private static final JsonFactory JSON = new JsonFactory();

  private ManifestReader() {}

  /** Whether {@link #read} reads {@code type}. */
  static boolean reads(Class<?> type) {
    return type == SetManifest.class || type == FolderManifest.class || type == FolderDelta.class;
  }

  /** Parses {@code json} as {@code type}, one of the types {@link #reads} names. */
  static <T> T read(byte[] json, Class<T> type) {
    try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json)) {
      p.nextToken();
      Object value;
      if (type == SetManifest.class) {
        value = setManifest(p);
      } else if (type == FolderManifest.class) {
        value = folder(p, false);
      } else if (type == FolderDelta.class) {
        value = folder(p, true);
      } else {
        throw new IllegalArgumentException("no streaming reader for " + type.getSimpleName());
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException("trailing token " + p.currentToken() + " after the "
            + type.getSimpleName() + " at " + where(p));
      }
      return type.cast(value);
    } catch (NullPointerException e) {
      // e.g. a null element in a list the record copies with List.copyOf
      throw new IllegalArgumentException("a null where a value is required in the "
          + type.getSimpleName(), e);
    }
  }

  private static SetManifest setManifest(JsonParser p) {
    startObject(p, "set manifest");
    int format = 0;
    String set = null;
    String kind = null;
    String scope = null;
    String created = null;
    String parent = null;
    List<FolderEntry> folders = null;
    List<String> skipped = null;
    Encryption encryption = null;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      p.nextToken();
      switch (name) {
        case "format" -> format = intValue(p, name);
        case "set" -> set = string(p, name);
        case "kind" -> kind = string(p, name);
        case "scope" -> scope = string(p, name);
        case "created" -> created = string(p, name);
        case "parent" -> parent = string(p, name);
        case "folders" -> folders = folderEntries(p);
        case "skipped" -> skipped = strings(p, name);
        case "encryption" -> encryption = encryption(p);
        default -> p.skipChildren();
      }
    }
    return new SetManifest(format, set, kind, scope, created, parent, folders, skipped, encryption);
  }

  private static List<FolderEntry> folderEntries(JsonParser p) {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, JsonToken.START_ARRAY, "folders");
    List<FolderEntry> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(p.currentToken() == JsonToken.VALUE_NULL ? null : folderEntry(p));
    }
    return out;
  }

  private static FolderEntry folderEntry(JsonParser p) {
    startObject(p, "folder entry");
    String account = null;
    String folder = null;
    String dir = null;
    long manifestSize = 0;
    String manifestSha256 = null;
    long tarSize = 0;
    String tarSha256 = null;
    int messages = 0;
    int written = 0;
    String manifestSet = null;
    FolderEntry.DeltaBase deltaBase = null;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      p.nextToken();
      switch (name) {
        case "account" -> account = string(p, name);
        case "folder" -> folder = string(p, name);
        case "dir" -> dir = string(p, name);
        case "manifestSize" -> manifestSize = longValue(p, name);
        case "manifestSha256" -> manifestSha256 = string(p, name);
        case "tarSize" -> tarSize = longValue(p, name);
        case "tarSha256" -> tarSha256 = string(p, name);
        case "messages" -> messages = intValue(p, name);
        case "written" -> written = intValue(p, name);
        case "manifestSet" -> manifestSet = string(p, name);
        case "deltaBase" -> deltaBase = deltaBase(p);
        default -> p.skipChildren();
      }
    }
    return new FolderEntry(account, folder, dir, manifestSize, manifestSha256, tarSize, tarSha256,
        messages, written, manifestSet, deltaBase);
  }

  private static FolderEntry.DeltaBase deltaBase(JsonParser p) {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    startObject(p, "deltaBase");
    String set = null;
    long size = 0;
    String sha256 = null;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      p.nextToken();
      switch (name) {
        case "set" -> set = string(p, name);
        case "size" -> size = longValue(p, name);
        case "sha256" -> sha256 = string(p, name);
        default -> p.skipChildren();
      }
    }
    return new FolderEntry.DeltaBase(set, size, sha256);
  }

  private static Encryption encryption(JsonParser p) {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    startObject(p, "encryption");
    String cipher = null;
    int segmentSize = 0;
    String kdf = null;
    String salt = null;
    int memoryKiB = 0;
    int iterations = 0;
    int parallelism = 0;
    String keyCheck = null;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      p.nextToken();
      switch (name) {
        case "cipher" -> cipher = string(p, name);
        case "segmentSize" -> segmentSize = intValue(p, name);
        case "kdf" -> kdf = string(p, name);
        case "salt" -> salt = string(p, name);
        case "memoryKiB" -> memoryKiB = intValue(p, name);
        case "iterations" -> iterations = intValue(p, name);
        case "parallelism" -> parallelism = intValue(p, name);
        case "keyCheck" -> keyCheck = string(p, name);
        default -> p.skipChildren();
      }
    }
    return new Encryption(cipher, segmentSize, kdf, salt, memoryKiB, iterations, parallelism,
        keyCheck);
  }

  /** A folder manifest, or with {@code delta} a folder delta. */
  private static Object folder(JsonParser p, boolean delta) {
    startObject(p, delta ? "folder delta" : "folder manifest");
    String set = null;
    String account = null;
    String folder = null;
    List<ControlFile> controlFiles = null;
    Map<String, MessageEntry> messages = null;
    List<String> removed = null;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      p.nextToken();
      switch (name) {
        case "set" -> set = string(p, name);
        case "account" -> account = string(p, name);
        case "folder" -> folder = string(p, name);
        case "controlFiles" -> controlFiles = controlFiles(p);
        case "messages" -> {
          if (delta) {
            p.skipChildren();
          } else {
            messages = messages(p);
          }
        }
        case "changed" -> {
          if (delta) {
            messages = messages(p);
          } else {
            p.skipChildren();
          }
        }
        case "removed" -> {
          if (delta) {
            removed = strings(p, name);
          } else {
            p.skipChildren();
          }
        }
        default -> p.skipChildren();
      }
    }
    return delta ? new FolderDelta(set, account, folder, controlFiles, messages, removed)
        : new FolderManifest(set, account, folder, controlFiles, messages);
  }

  private static List<ControlFile> controlFiles(JsonParser p) {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, JsonToken.START_ARRAY, "controlFiles");
    List<ControlFile> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(p.currentToken() == JsonToken.VALUE_NULL ? null : controlFile(p));
    }
    return out;
  }

  private static ControlFile controlFile(JsonParser p) {
    startObject(p, "control file");
    String name = null;
    long size = 0;
    String sha256 = null;
    String set = null;
    String plainSha256 = null;
    for (String field = p.nextName(); field != null; field = p.nextName()) {
      p.nextToken();
      switch (field) {
        case "name" -> name = string(p, field);
        case "size" -> size = longValue(p, field);
        case "sha256" -> sha256 = string(p, field);
        case "set" -> set = string(p, field);
        case "plainSha256" -> plainSha256 = string(p, field);
        default -> p.skipChildren();
      }
    }
    return new ControlFile(name, size, sha256, set, plainSha256);
  }

  private static Map<String, MessageEntry> messages(JsonParser p) {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    startObject(p, "messages");
    Map<String, MessageEntry> out = new HashMap<>();
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      p.nextToken();
      if (p.currentToken() == JsonToken.VALUE_NULL) {
        throw new IllegalArgumentException("message " + name + " has no entry (null) at " + where(p));
      }
      out.put(name, messageEntry(p));
    }
    return out;
  }

  private static MessageEntry messageEntry(JsonParser p) {
    startObject(p, "message entry");
    String sha256 = null;
    long size = 0;
    String internalDate = null;
    List<String> flags = null;
    List<String> keywords = null;
    String state = null;
    String messageId = null;
    Location location = null;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      p.nextToken();
      switch (name) {
        case "sha256" -> sha256 = string(p, name);
        case "size" -> size = longValue(p, name);
        case "internalDate" -> internalDate = string(p, name);
        case "flags" -> flags = strings(p, name);
        case "keywords" -> keywords = strings(p, name);
        case "state" -> state = string(p, name);
        case "messageId" -> messageId = string(p, name);
        case "location" -> location = location(p);
        default -> p.skipChildren();
      }
    }
    return new MessageEntry(sha256, size, internalDate, flags, keywords, state, messageId, location);
  }

  private static Location location(JsonParser p) {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    startObject(p, "location");
    String set = null;
    String file = null;
    String entry = null;
    long offset = 0;
    long length = 0;
    for (String name = p.nextName(); name != null; name = p.nextName()) {
      p.nextToken();
      switch (name) {
        case "set" -> set = string(p, name);
        case "file" -> file = string(p, name);
        case "entry" -> entry = string(p, name);
        case "offset" -> offset = longValue(p, name);
        case "length" -> length = longValue(p, name);
        default -> p.skipChildren();
      }
    }
    return new Location(set, file, entry, offset, length);
  }

  private static List<String> strings(JsonParser p, String what) {
    if (p.currentToken() == JsonToken.VALUE_NULL) {
      return null;
    }
    expect(p, JsonToken.START_ARRAY, what);
    List<String> out = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      out.add(string(p, what));
    }
    return out;
  }

  /** The current scalar as a string ({@code null} for null); a number or boolean as its text. */
  private static String string(JsonParser p, String what) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_STRING) {
      return p.getString();
    }
    if (t == JsonToken.VALUE_NULL) {
      return null;
    }
    if (t != null && t.isScalarValue()) {
      return p.getString();
    }
    throw mismatch(p, what, "a string");
  }

  private static long longValue(JsonParser p, String what) {
    JsonToken t = p.currentToken();
    if (t == JsonToken.VALUE_NUMBER_INT) {
      return p.getLongValue();
    }
    if (t == JsonToken.VALUE_NUMBER_FLOAT) {
      return (long) p.getDoubleValue();
    }
    if (t == JsonToken.VALUE_STRING) {
      try {
        return Long.parseLong(p.getString().strip());
      } catch (NumberFormatException e) {
        throw mismatch(p, what, "a number");
      }
    }
    throw mismatch(p, what, "a number");
  }

  private static int intValue(JsonParser p, String what) {
    long v = longValue(p, what);
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw mismatch(p, what, "a number within the int range");
    }
    return (int) v;
  }

  private static void startObject(JsonParser p, String what) {
    expect(p, JsonToken.START_OBJECT, what);
  }

  private static void expect(JsonParser p, JsonToken want, String what) {
    if (p.currentToken() != want) {
      throw mismatch(p, what, want == JsonToken.START_OBJECT ? "an object" : "an array");
    }
  }

  private static IllegalArgumentException mismatch(JsonParser p, String what, String expected) {
    return new IllegalArgumentException("'" + what + "' is " + describe(p.currentToken())
        + ", expected " + expected + ", at " + where(p));
  }

  private static String describe(JsonToken t) {
    if (t == null) {
      return "missing (end of input)";
    }
    return switch (t) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_NULL -> "null";
      case VALUE_STRING -> "a string";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      default -> t.toString();
    };
  }

  private static String where(JsonParser p) {
    var l = p.currentLocation();
    return "line " + l.getLineNr() + ", column " + l.getColumnNr();
  }
}
