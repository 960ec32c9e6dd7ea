/**
 * The archive's search index: {@link io.mailops.archiver.index.MessageParser} turns raw message
 * bytes into a {@link io.mailops.archiver.index.MessageDocument};
 * {@link io.mailops.archiver.index.LuceneArchiveIndex} indexes and searches them (the "current"
 * and the "search" database are two such indexes); {@link io.mailops.archiver.index.Criteria}
 * parses the {@code --where FIELD:OP:VALUE} criteria of {@code mailops archive search}.
 */
package io.mailops.archiver.index;
