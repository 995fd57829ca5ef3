package dev.odec.api;

/**
 * A {@code rate NAME = ...} statement: a Poisson point process whose events are counted in the
 * data column {@code NAME}.
 *
 * @param name the name and data column
 */
public record Rate(String name) {}
