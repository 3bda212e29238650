package org.fogwerk.connector.modbus.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One Modbus connection: a TCP device or gateway, or a serial RTU bus. */
@ObjectClassDefinition(name = "Fogwerk Modbus connection",
        description = "A Modbus TCP, RTU over TCP or serial RTU connection with its polled tags."
                + " One file etc/org.fogwerk.connector.modbus-<name>.cfg per connection.")
public @interface ModbusConfig {

    @AttributeDefinition(name = "Name", description = "Connection id; by default the file name after the first '-'.")
    String name() default "";

    @AttributeDefinition(name = "Transport", description = "tcp (Modbus TCP), rtu-over-tcp (RTU frames through a"
            + " TCP gateway) or serial (RTU on a serial port).",
            options = {
                @org.osgi.service.metatype.annotations.Option(label = "Modbus TCP", value = "tcp"),
                @org.osgi.service.metatype.annotations.Option(label = "RTU over TCP", value = "rtu-over-tcp"),
                @org.osgi.service.metatype.annotations.Option(label = "Serial RTU", value = "serial")})
    String transport() default "tcp";

    @AttributeDefinition(name = "Host", description = "Device or gateway host name or address (tcp, rtu-over-tcp).")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port", description = "TCP port (tcp, rtu-over-tcp).", min = "1", max = "65535")
    int port() default 502;

    @AttributeDefinition(name = "Serial port", description = "Serial device, e.g. /dev/ttyUSB0 or COM3 (serial).")
    String serial_port() default "";

    @AttributeDefinition(name = "Baud rate", description = "Serial speed (serial).", min = "300", max = "921600")
    int baud() default 9600;

    @AttributeDefinition(name = "Parity", description = "none, even or odd (serial).")
    String parity() default "none";

    @AttributeDefinition(name = "Data bits", description = "7 or 8 (serial).", min = "7", max = "8")
    int data_bits() default 8;

    @AttributeDefinition(name = "Stop bits", description = "1 or 2 (serial).", min = "1", max = "2")
    int stop_bits() default 1;

    @AttributeDefinition(name = "Unit id", description = "Default unit (slave) id of tags that give none.",
            min = "0", max = "255")
    int unit_id() default 1;

    @AttributeDefinition(name = "Timeout", description = "Milliseconds to wait for a response.",
            min = "50", max = "60000")
    int timeout() default 1000;

    @AttributeDefinition(name = "Retries", description = "Extra attempts of a request after an I/O failure.",
            min = "0", max = "10")
    int retries() default 0;

    @AttributeDefinition(name = "Reconnect minimum", description = "First reconnect delay in ms; doubles each"
            + " failed attempt.", min = "100", max = "3600000")
    long reconnect_min() default 1000;

    @AttributeDefinition(name = "Reconnect maximum", description = "Longest reconnect delay in ms.",
            min = "100", max = "3600000")
    long reconnect_max() default 30000;

    @AttributeDefinition(name = "Poll interval", description = "Interval in ms of the poll group 'default'.",
            min = "10", max = "3600000")
    long poll_interval() default 1000;

    @AttributeDefinition(name = "Poll groups", description = "More poll groups as name=interval ms, comma"
            + " separated, e.g. fast=100,slow=5000. Tags name their group; without one they are in 'default'.")
    String poll_groups() default "";

    @AttributeDefinition(name = "Max registers", description = "Most registers read in one request (1..125).",
            min = "1", max = "125")
    int max_registers() default 125;

    @AttributeDefinition(name = "Max coils", description = "Most coils or discrete inputs read in one request"
            + " (1..2000).", min = "1", max = "2000")
    int max_coils() default 2000;

    @AttributeDefinition(name = "Max gap", description = "Unused registers (or bits) read over to merge two"
            + " tags into one request; 0 merges only adjacent ones.", min = "0", max = "124")
    int max_gap() default 10;

    @AttributeDefinition(name = "Tags", description = "Inline tags, entries separated by ';' or new lines, each"
            + " 'name, unit id, area, address, type, order, scale, offset, deadband, access, min, max, group, unit'"
            + " as in the CSV file.")
    String tags() default "";

    @AttributeDefinition(name = "Tags file", description = "CSV file with one tag a line (same columns as"
            + " 'tags'); a relative path is relative to the node's home folder, for example etc/tags/line2.csv.")
    String tags_file() default "";
}
