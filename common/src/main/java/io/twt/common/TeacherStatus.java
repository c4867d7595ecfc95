package io.twt.common;

/** How a teacher call ended: a parsed triple, an error after all retries, or text we could not parse. */
public enum TeacherStatus { OK, FAILED, UNPARSEABLE }
