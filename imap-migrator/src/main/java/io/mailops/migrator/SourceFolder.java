package io.mailops.migrator;

import io.mailops.storage.model.FolderPath;

/** A folder of the source account as the engine sees it: its path and whether it is subscribed (unknown: true). */
public record SourceFolder(FolderPath path, boolean subscribed) {}
