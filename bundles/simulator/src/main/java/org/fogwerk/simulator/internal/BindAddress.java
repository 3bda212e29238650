package org.fogwerk.simulator.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.UnknownHostException;

import org.fogwerk.support.config.InvalidConfigurationException;

/** Checks of the address and port a simulator listens on. */
final class BindAddress {

    private static final String KEY = "bind.address";

    private BindAddress() {
    }

    /**
     * Refuses what cannot be an address without asking DNS: blanks, spaces, and numbers that
     * are not a dotted IPv4 address (which the resolver would otherwise look up as a name).
     */
    static String checkSyntax(String pid, String key, String value) throws InvalidConfigurationException {
        if (value.isEmpty()) {
            throw InvalidConfigurationException.invalidValue(pid, key, "''", "an IP address or host name is required");
        }
        if (value.chars().anyMatch(Character::isWhitespace)) {
            throw InvalidConfigurationException.invalidValue(pid, key, value, "contains spaces");
        }
        if (value.matches("[0-9.]+") && !isIpv4(value)) {
            throw InvalidConfigurationException.invalidValue(pid, key, value, "not an IPv4 address");
        }
        return value;
    }

    /**
     * Resolves the configured address and makes sure it belongs to this machine (the wildcard
     * 0.0.0.0 is fine). A host name may need DNS, so this runs on the simulator's own thread.
     */
    static InetAddress resolve(String pid, String value) throws InvalidConfigurationException {
        InetAddress address;
        try {
            address = InetAddress.getByName(value);
        } catch (UnknownHostException e) {
            throw InvalidConfigurationException.invalidValue(pid, KEY, value, "unknown host");
        }
        boolean local;
        try {
            local = address.isAnyLocalAddress() || address.isLoopbackAddress()
                    || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            local = false;
        }
        if (!local) {
            throw InvalidConfigurationException.invalidValue(pid, KEY, value, "not an address of this machine");
        }
        return address;
    }

    /**
     * Binds the port once and lets it go, so that a port in use is reported as such before the
     * protocol library tries (their errors are less clear, and j2mod logs its own).
     */
    static void ensureFree(String pid, InetAddress address, int port) throws InvalidConfigurationException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw InvalidConfigurationException.invalidValue(pid, "port", port,
                    "already in use on " + address.getHostAddress() + " (" + e.getMessage() + ")");
        }
    }

    /** The address as the host part of a URL: an IPv6 literal goes in brackets. */
    static String urlHost(String bindAddress) {
        return bindAddress.indexOf(':') >= 0 ? "[" + bindAddress + "]" : bindAddress;
    }

    private static boolean isIpv4(String value) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String part : parts) {
            if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }
}
