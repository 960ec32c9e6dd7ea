/**
 * The shared mail model: validated value types for accounts, folders, message keys, flags and
 * message references. JDK only (an ArchUnit rule enforces it), immutable, thread-safe.
 */
package io.mailops.storage.model;
