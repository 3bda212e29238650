package org.fogwerk.support.config;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component's typed configuration that never fails on a value that does not convert: the value
 * of such a key is the key's default, and an error in the log names the file, the key, what is
 * there and what is used instead. Without it, one typo ({@code session.timeout = abc}) in an
 * optional settings file makes the component fail to start, and with it every component that
 * needs it: the REST login filter, the tag bus, the shadow store, the thing registry.
 */
public final class LenientConfig {

    private static final Logger LOG = LoggerFactory.getLogger(LenientConfig.class);

    private LenientConfig() {
    }

    /**
     * @param type  the configuration annotation type
     * @param typed the configuration as Declarative Services made it
     * @param file  the file it comes from, as users name it ({@code etc/org.fogwerk.web.cfg})
     */
    public static <T> T of(Class<T> type, T typed, String file) {
        if (typed == null || Proxy.isProxyClass(typed.getClass())
                && Proxy.getInvocationHandler(typed) instanceof Handler) {
            return typed;
        }
        Object proxy = Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                new Handler(typed, file, ConcurrentHashMap.newKeySet()));
        return type.cast(proxy);
    }

    /**
     * What a value that did not convert was, as a user reads it: {@code 'abc'} rather than the
     * converter's exception ({@code java.lang.NumberFormatException: For input string: "abc"}).
     */
    public static String badValue(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        Matcher number = NUMBER.matcher(m);
        if (number.find()) {
            return "'" + number.group(1) + "'";
        }
        Matcher conversion = CONVERSION.matcher(m);
        if (conversion.matches()) {
            return "'" + conversion.group(1) + "'";
        }
        return CLASS_PREFIX.matcher(m).replaceAll("");
    }

    private static final Pattern NUMBER = Pattern.compile("For input string: \"(.*)\"");
    private static final Pattern CONVERSION = Pattern.compile("(?s)Cannot convert (.*) to (?:class |interface )?\\S+");
    private static final Pattern CLASS_PREFIX = Pattern.compile("\\b(?:[a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*: ");

    /** What a configuration value of this type must be, as users read it. */
    public static String kind(Class<?> type) {
        if (type == int.class || type == long.class || type == short.class) {
            return "a whole number";
        }
        if (type == double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class) {
            return "true or false";
        }
        return "a " + type.getSimpleName();
    }

    /**
     * The key of a configuration method, by the rules of Declarative Services: {@code _} is
     * {@code .}, {@code __} is {@code _}, {@code $_$} is {@code -}, {@code $$} is {@code $}.
     */
    public static String key(String method) {
        return method.replace("$_$", "\u0001").replace("$$", "\u0002").replace("$", "").replace("__", "\u0003")
                .replace('_', '.').replace('\u0001', '-').replace('\u0002', '$').replace('\u0003', '_');
    }

    /** The configuration as made, the file it comes from, and the keys already logged. */
    private record Handler(Object typed, String file, Set<String> told) implements java.lang.reflect.InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            // configuration types are package-private in the component's bundle
            method.setAccessible(true);
            if (method.getDeclaringClass() == Object.class || method.getParameterCount() > 0) {
                try {
                    return method.invoke(typed, args);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }
            try {
                return method.invoke(typed);
            } catch (InvocationTargetException e) {
                Object fallback = method.getDefaultValue();
                if (fallback == null) {
                    throw e.getCause();
                }
                String key = key(method.getName());
                if (told.add(key)) {
                    LOG.error("{}: {} = {} is not {}; {} is used until the file is fixed", file, key,
                            badValue(e.getCause()), kind(method.getReturnType()), fallback);
                }
                return fallback;
            }
        }
    }
}
