package org.fogwerk.connector.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.stack.core.BuiltinDataType;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.types.builtin.ExtensionObject;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.QualifiedName;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseDirection;
import org.eclipse.milo.opcua.stack.core.types.enumerated.BrowseResultMask;
import org.eclipse.milo.opcua.stack.core.types.enumerated.NodeClass;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;
import org.eclipse.milo.opcua.stack.core.types.structured.BrowseDescription;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodResult;
import org.fogwerk.api.connector.CallResult;

/**
 * Calls methods on the server: reads a method's InputArguments property (once per method and
 * session), checks the number of arguments, converts each to its declared type, calls it and
 * maps the outputs to Java values. Text works for every scalar type; a one-dimensional array
 * argument takes a Java array, a List or comma separated text. Arguments that do not fit, an
 * unknown method or object are REFUSED; a bad status from the server is FAILED with the status
 * name and the per-argument results.
 */
final class MethodCaller {

    private static final QualifiedName INPUT_ARGUMENTS = new QualifiedName(0, "InputArguments");

    private final String id;
    /** Input argument declarations by method, for the current session. */
    private final Map<NodeId, List<Argument>> inputArgumentCache = new ConcurrentHashMap<>();
    private volatile OpcUaClient inputArgumentOwner;

    MethodCaller(String id) {
        this.id = id;
    }

    /** A session started: the server may have changed its methods. */
    void forgetArguments() {
        inputArgumentCache.clear();
    }

    /** Calls the method once {@code connected} has a client; never completes exceptionally. */
    CompletableFuture<CallResult> call(CompletableFuture<OpcUaClient> connected, String objectId, String methodId,
            List<Object> arguments) {
        List<Object> args = arguments == null ? List.of() : arguments;
        String method = methodId == null ? "" : methodId;
        CompletableFuture<CallResult> result;
        try {
            result = connected.thenCompose(c -> NodeAccess.nodeIdOf(c, objectId)
                    .thenCompose(object -> NodeAccess.nodeIdOf(c, method)
                    .thenCompose(m -> inputArguments(c, m).thenCompose(declared -> {
                        Variant[] inputs = callInputs(method, declared, args);
                        return c.call(List.of(new CallMethodRequest(object, m, inputs)))
                                .thenApply(r -> callResult(method, declared, r.getResults()[0]));
                    }))));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.handle((r, error) -> {
            if (error == null) {
                return r;
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null
                    ? error.getCause() : error;
            return cause instanceof IllegalArgumentException ? CallResult.refused(id, method, cause.getMessage())
                    : CallResult.failed(id, method, UaErrors.describe(cause));
        });
    }

    /** The method's declared input arguments: its InputArguments property, none when it has none. */
    private CompletableFuture<List<Argument>> inputArguments(OpcUaClient c, NodeId method) {
        if (inputArgumentOwner != c) {
            inputArgumentCache.clear();
            inputArgumentOwner = c;
        }
        List<Argument> cached = inputArgumentCache.get(method);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        BrowseDescription bd = new BrowseDescription(method, BrowseDirection.Forward, Identifiers.HasProperty, false,
                uint(NodeClass.Variable.getValue()), uint(BrowseResultMask.BrowseName.getValue()));
        return NodeBrowser.browseFirst(c, bd, "method " + method.toParseableString()).thenCompose(result -> {
            Optional<NodeId> property = result.getReferences() == null ? Optional.empty()
                    : Arrays.stream(result.getReferences())
                            .filter(r -> r.getBrowseName().equals(INPUT_ARGUMENTS))
                            .findFirst().flatMap(r -> r.getNodeId().toNodeId(c.getNamespaceTable()));
            if (property.isEmpty()) {
                return CompletableFuture.completedFuture(List.<Argument>of());
            }
            return c.readValue(0.0, TimestampsToReturn.Neither, property.get()).thenApply(dv -> {
                Object v = dv.getValue() == null ? null : dv.getValue().getValue();
                if (dv.getStatusCode() != null && dv.getStatusCode().isBad() || !(v instanceof ExtensionObject[])) {
                    throw new IllegalStateException("method " + method.toParseableString()
                            + ": its InputArguments cannot be read ("
                            + ValueMapper.statusName(dv.getStatusCode()) + ")");
                }
                List<Argument> declared = new ArrayList<>();
                for (ExtensionObject xo : (ExtensionObject[]) v) {
                    declared.add((Argument) xo.decode(c.getStaticSerializationContext()));
                }
                return List.copyOf(declared);
            });
        }).thenApply(declared -> {
            inputArgumentCache.put(method, declared);
            return declared;
        });
    }

    /** The arguments converted to the declared types, or IllegalArgumentException saying which does not fit. */
    static Variant[] callInputs(String method, List<Argument> declared, List<Object> args) {
        if (declared.size() != args.size()) {
            throw new IllegalArgumentException(method + " takes " + declared.size() + " argument"
                    + (declared.size() == 1 ? "" : "s") + " " + signature(declared) + ", got " + args.size());
        }
        Variant[] inputs = new Variant[args.size()];
        for (int i = 0; i < args.size(); i++) {
            Argument a = declared.get(i);
            try {
                inputs[i] = argument(a, args.get(i));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(method + ": argument " + (i + 1) + " (" + a.getName() + ": "
                        + ValueMapper.typeName(a.getDataType()) + "): " + e.getMessage());
            }
        }
        return inputs;
    }

    private static Variant argument(Argument a, Object value) {
        Integer rank = a.getValueRank();
        if (rank == null || rank <= 0) {
            if (value instanceof List || value != null && value.getClass().isArray() && !(value instanceof byte[])) {
                throw new IllegalArgumentException("takes a single value, not a list");
            }
            return ValueMapper.toVariant(value, a.getDataType());
        }
        if (rank != 1) {
            throw new IllegalArgumentException("arrays of " + rank + " dimensions are not supported");
        }
        List<Object> items = new ArrayList<>();
        if (value instanceof List) {
            items.addAll((List<?>) value);
        } else if (value instanceof String) {
            String text = ((String) value).trim();
            if (!text.isEmpty()) {
                items.addAll(Arrays.asList(text.split(",", -1)));
            }
        } else if (value != null && value.getClass().isArray()) {
            for (int i = 0; i < Array.getLength(value); i++) {
                items.add(Array.get(value, i));
            }
        } else {
            throw new IllegalArgumentException("takes a list of values");
        }
        BuiltinDataType b = ValueMapper.builtin(a.getDataType());
        if (b == null) {
            throw new IllegalArgumentException("the data type " + a.getDataType().toParseableString()
                    + " is not a built-in type this connector can convert to");
        }
        Object array = Array.newInstance(b.getBackingClass(), items.size());
        for (int i = 0; i < items.size(); i++) {
            Object element = ValueMapper.toVariant(items.get(i), a.getDataType()).getValue();
            Array.set(array, i, element);
        }
        return new Variant(array);
    }

    /** {@code (name: String, value: Double)}. */
    static String signature(List<Argument> declared) {
        return declared.stream().map(a -> a.getName() + ": " + ValueMapper.typeName(a.getDataType())
                + (a.getValueRank() != null && a.getValueRank() > 0 ? "[]" : ""))
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private CallResult callResult(String method, List<Argument> declared, CallMethodResult r) {
        StatusCode status = r.getStatusCode();
        if (status != null && status.isBad()) {
            StringBuilder reason = new StringBuilder(ValueMapper.statusName(status));
            StatusCode[] inputs = r.getInputArgumentResults();
            if (inputs != null) {
                for (int i = 0; i < inputs.length; i++) {
                    if (inputs[i] != null && !inputs[i].isGood()) {
                        reason.append("; argument ").append(i + 1);
                        if (i < declared.size()) {
                            reason.append(" (").append(declared.get(i).getName()).append(')');
                        }
                        reason.append(": ").append(ValueMapper.statusName(inputs[i]));
                    }
                }
            }
            return CallResult.failed(id, method, reason.toString());
        }
        List<Object> outputs = new ArrayList<>();
        if (r.getOutputArguments() != null) {
            for (Variant v : r.getOutputArguments()) {
                outputs.add(v == null ? null : ValueMapper.toJava(v.getValue()));
            }
        }
        return CallResult.done(id, method, outputs);
    }
}
