package io.mailops.archiver;

/**
 * The plaintext header of a volume file: enough, with the password, to unwrap the volume's data
 * key without archive.json. {@code key} is the volume data key sealed by the master key
 * (additional data {@code "mailops-archive key volume " + id}), base64.
 */
record VolumeHeader(int format, String id, String kdf, String salt, int memoryKiB,
    int iterations, int parallelism, int segmentSize, String key) {}
