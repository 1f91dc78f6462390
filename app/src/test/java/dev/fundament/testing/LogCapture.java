package dev.fundament.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jboss.logmanager.ExtLogRecord;

/** Collects the log records of Fundament's own loggers while it is open, with their message formatted. */
public final class LogCapture implements AutoCloseable {

    private final List<ExtLogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record instanceof ExtLogRecord ext && ext.getLoggerName() != null && ext.getLoggerName().startsWith("dev.fundament")) {
                ext.copyAll();
                synchronized (records) {
                    records.add(ext);
                }
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    public LogCapture() {
        Logger.getLogger("").addHandler(handler);
    }

    /** @return the records so far */
    public List<ExtLogRecord> records() {
        synchronized (records) {
            return List.copyOf(records);
        }
    }

    /** @return every record's formatted message, with its exception's text when it has one */
    public List<String> lines() {
        return records().stream().map(r -> r.getFormattedMessage()
                + (r.getThrown() == null ? "" : " " + r.getThrown())).toList();
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
