package org.fogwerk.connector.modbus.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the {@code modbus-read} command does, apart from printing: parse the arguments, read
 * raw registers through the connection and decode them.
 */
public final class Commissioning {

    /** The raw result of a commissioning read. */
    public record Result(String area, int address, int[] words, String type, String order, String decoded) {
    }

    private Commissioning() {
    }

    /**
     * Reads {@code count} registers (or bits) and decodes them from the first as {@code type}.
     *
     * @throws IllegalArgumentException with one clear line for a bad argument or a failed read
     */
    public static Result read(ModbusConnections connections, String connection, int unit, String areaText,
            String addressText, int count, String typeText, String orderText) {
        ModbusConnection c = connections.get(connection).orElseThrow(() -> new IllegalArgumentException(
                "no Modbus connection '" + connection + "' (have " + connections.ids() + ")"));
        if (unit < 0 || unit > 255) {
            throw new IllegalArgumentException("unit " + unit + " is outside 0..255");
        }
        Area area = Area.parse(areaText);
        int address;
        try {
            address = Integer.parseInt(addressText.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + addressText + "' is not a 0-based address");
        }
        ModbusType type = typeText == null ? null : ModbusType.parse(typeText);
        WordOrder order = orderText == null ? WordOrder.ABCD : WordOrder.parse(orderText);
        if (type != null && !area.bits() && type.registers() > count) {
            throw new IllegalArgumentException(type + " needs " + type.registers() + " registers, count is " + count);
        }
        int[] words;
        try {
            words = c.readRaw(unit, area, address, count).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalArgumentException(e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new IllegalArgumentException("no answer within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted");
        }
        String decoded = null;
        if (type != null) {
            decoded = area.bits() ? Boolean.toString(words[0] != 0)
                    : String.valueOf(RegisterCodec.decode(words, 0, type, order));
        }
        return new Result(area.label(), address, words, type == null ? null : type.toString(), order.name(),
                decoded);
    }
}
