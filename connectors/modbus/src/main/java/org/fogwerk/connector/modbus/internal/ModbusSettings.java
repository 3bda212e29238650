package org.fogwerk.connector.modbus.internal;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.fogwerk.api.ConfigurationNames;
import org.fogwerk.support.config.InvalidConfigurationException;
import org.fogwerk.support.config.LenientConfig;
import org.fogwerk.support.csv.TagTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A validated connection configuration. {@link #read} checks every key and throws a
 * {@link InvalidConfigurationException} naming the file, the key and why; tag lines are parsed leniently:
 * valid tags are kept and the bad lines reported in {@link #tagErrors()}.
 */
record ModbusSettings(String id, String source, Transport transport, String host, int port, String serialPort,
        int baud, String parity, int dataBits, int stopBits, int unitId, int timeout, int retries, long reconnectMin,
        long reconnectMax, Map<String, Long> groups, int maxRegisters, int maxCoils, int maxGap, List<TagSpec> tags,
        List<String> tagErrors) {

    private static final Logger LOG = LoggerFactory.getLogger(ModbusSettings.class);

    static final String PID = "org.fogwerk.connector.modbus";
    static final String DEFAULT_GROUP = "default";

    enum Transport {
        TCP, RTU_OVER_TCP, SERIAL
    }

    /** Where the connection goes, for status lines and logs. */
    String endpoint() {
        switch (transport) {
            case SERIAL:
                return "serial " + serialPort + " " + baud + " " + dataBits + parity.charAt(0) + stopBits;
            case RTU_OVER_TCP:
                return "rtu-over-tcp " + host + ":" + port;
            default:
                return host + ":" + port;
        }
    }

    /** The connection id from a name key or the file name ({@code <pid>-<id>.cfg}). */
    static String connectionId(String name, String fileName) {
        if (name != null && !name.isBlank()) {
            return name.strip();
        }
        if (fileName == null || fileName.isBlank()) {
            return null;
        }
        return ConfigurationNames.instanceName(Map.of(ConfigurationNames.FILE_PROPERTY, fileName)).orElse(null);
    }

    /**
     * @param file       the configuration's file ({@code felix.fileinstall.filename}), may be null
     * @param fallbackId the id when neither {@code name} nor the file gives one
     */
    static ModbusSettings read(ModbusConfig c, String file, String fallbackId) throws InvalidConfigurationException {
        String source = file == null || file.isBlank() ? PID + (fallbackId == null ? "" : "-" + fallbackId)
                : file.replaceFirst("^file:", "");
        String id = connectionId(safe(c::name), file);
        if (id == null) {
            id = fallbackId;
        }
        if (id == null || id.isBlank()) {
            throw new InvalidConfigurationException(source, null,
                    "no connection id: name the file " + PID + "-<name>.cfg or set 'name'");
        }
        String idProblem = org.fogwerk.api.connector.spi.Connector.checkId(id);
        if (idProblem != null) {
            throw InvalidConfigurationException.worded(source, "name", idProblem, source + ": name = " + idProblem);
        }
        Keys k = new Keys(source);
        String tr = k.get("transport", c::transport).strip().toLowerCase(Locale.ROOT);
        Transport transport;
        switch (tr) {
            case "tcp":
                transport = Transport.TCP;
                break;
            case "rtu-over-tcp":
            case "rtuovertcp":
                transport = Transport.RTU_OVER_TCP;
                break;
            case "serial":
            case "rtu":
                transport = Transport.SERIAL;
                break;
            default:
                throw k.bad("transport", tr, "use tcp, rtu-over-tcp or serial");
        }
        String host = k.get("host", c::host).strip();
        if (transport != Transport.SERIAL && host.isEmpty()) {
            throw k.bad("host", host, "a host is required for " + tr);
        }
        int port = k.intIn("port", c::port, 1, 65535);
        String serialPort = k.get("serial.port", c::serial_port).strip();
        if (transport == Transport.SERIAL && serialPort.isEmpty()) {
            throw k.bad("serial.port", serialPort, "a serial port is required for transport serial");
        }
        int baud = k.intIn("baud", c::baud, 300, 921600);
        String parity = k.get("parity", c::parity).strip().toLowerCase(Locale.ROOT);
        if (!List.of("none", "even", "odd").contains(parity)) {
            throw k.bad("parity", parity, "use none, even or odd");
        }
        int dataBits = k.intIn("data.bits", c::data_bits, 7, 8);
        int stopBits = k.intIn("stop.bits", c::stop_bits, 1, 2);
        int unitId = k.intIn("unit.id", c::unit_id, 0, 255);
        int timeout = k.intIn("timeout", c::timeout, 50, 60000);
        int retries = k.intIn("retries", c::retries, 0, 10);
        long rmin = k.longIn("reconnect.min", c::reconnect_min, 100, 3_600_000);
        long rmax = k.longIn("reconnect.max", c::reconnect_max, 100, 3_600_000);
        if (rmax < rmin) {
            throw k.bad("reconnect.max", rmax, "must not be below reconnect.min " + rmin);
        }
        Map<String, Long> groups = new LinkedHashMap<>();
        groups.put(DEFAULT_GROUP, k.longIn("poll.interval", c::poll_interval, 10, 3_600_000));
        String pg = k.get("poll.groups", c::poll_groups).strip();
        if (!pg.isEmpty()) {
            for (String entry : pg.split(",")) {
                String[] kv = entry.split("=", 2);
                String name = kv[0].strip();
                if (kv.length != 2 || name.isEmpty() || !name.matches("[A-Za-z0-9_.]+")) {
                    throw k.bad("poll.groups", pg, "'" + entry.strip() + "' is not name=interval ms");
                }
                long ms;
                try {
                    ms = Long.parseLong(kv[1].strip());
                } catch (NumberFormatException e) {
                    throw k.bad("poll.groups", pg, "'" + kv[1].strip() + "' is not a number of ms");
                }
                if (ms < 10 || ms > 3_600_000) {
                    throw k.bad("poll.groups", pg, "interval of " + name + " must be between 10 and 3600000 ms");
                }
                if (groups.containsKey(name) && !name.equals(DEFAULT_GROUP)) {
                    throw k.bad("poll.groups", pg, "group " + name + " is given twice");
                }
                groups.put(name, ms);
            }
        }
        int maxRegisters = k.intIn("max.registers", c::max_registers, 1, 125);
        int maxCoils = k.intIn("max.coils", c::max_coils, 1, 2000);
        int maxGap = k.intIn("max.gap", c::max_gap, 0, 124);

        TagParser parser = new TagParser(unitId, groups.keySet(), maxRegisters);
        String inline = k.get("tags", c::tags);
        if (!inline.isBlank()) {
            // entries are separated by ';' or new lines, their cells by ','
            parser.parse(TagTable.read(String.join("\n", inline.split("[;\\n]", -1)), ','), source + ": tags entry ");
        }
        String tagsFile = k.get("tags.file", c::tags_file).strip();
        if (!tagsFile.isEmpty()) {
            Path p;
            try {
                p = Paths.get(tagsFile);
            } catch (InvalidPathException e) {
                throw k.bad("tags.file", tagsFile, "not a path: " + e.getReason());
            }
            if (!p.isAbsolute()) {
                // like every path in a node's configuration: relative to the node's home folder
                String base = System.getProperty("karaf.base");
                if (base != null) {
                    p = Paths.get(base).resolve(p);
                }
            }
            String text;
            try {
                text = TagTable.text(p);
            } catch (IOException e) {
                throw k.bad("tags.file", tagsFile, "cannot read " + p + ": " + e);
            }
            parser.parse(TagTable.read(text), p + " line ");
        }
        if (parser.tags().isEmpty() && parser.errors().isEmpty()) {
            throw new InvalidConfigurationException(source, null, tagsFile.isEmpty()
                    ? "no tags: set 'tags' or 'tags.file'" : "no tags: tags.file " + tagsFile + " holds no tag line");
        }
        if (parser.tags().isEmpty()) {
            throw new InvalidConfigurationException(source, null,
                    "no valid tag: " + String.join("; ", parser.errors()));
        }
        for (String overlap : parser.overlaps()) {
            LOG.warn("Modbus connection {}: {}", id, overlap);
        }
        return new ModbusSettings(id, source, transport, host, port, serialPort, baud, parity, dataBits, stopBits,
                unitId, timeout, retries, rmin, rmax, Map.copyOf(groups), maxRegisters, maxCoils, maxGap,
                List.copyOf(parser.tags()), List.copyOf(parser.errors()));
    }

    private static String safe(Supplier<String> s) {
        try {
            return s.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Reads keys, turning conversion errors into messages naming the key. */
    private static final class Keys {
        private final String source;

        Keys(String source) {
            this.source = source;
        }

        InvalidConfigurationException bad(String key, Object value, String why) {
            return InvalidConfigurationException.invalidValue(source, key, value, why);
        }

        String get(String key, Supplier<String> s) throws InvalidConfigurationException {
            try {
                String v = s.get();
                return v == null ? "" : v;
            } catch (RuntimeException e) {
                throw InvalidConfigurationException.invalidKey(source, key, e.getMessage());
            }
        }

        int intIn(String key, Supplier<Integer> s, int lo, int hi) throws InvalidConfigurationException {
            return (int) longIn(key, () -> s.get().longValue(), lo, hi);
        }

        long longIn(String key, Supplier<Long> s, long lo, long hi) throws InvalidConfigurationException {
            long v;
            try {
                v = s.get();
            } catch (RuntimeException e) {
                throw InvalidConfigurationException.invalidKey(source, key,
                        LenientConfig.badValue(e) + " is not a whole number");
            }
            if (v < lo || v > hi) {
                throw bad(key, v, "must be between " + lo + " and " + hi);
            }
            return v;
        }
    }
}
