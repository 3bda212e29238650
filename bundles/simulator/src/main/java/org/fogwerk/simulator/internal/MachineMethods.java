package org.fogwerk.simulator.internal;

import org.eclipse.milo.opcua.sdk.core.ValueRanks;
import org.eclipse.milo.opcua.sdk.server.api.methods.AbstractMethodInvocationHandler;
import org.eclipse.milo.opcua.sdk.server.nodes.UaMethodNode;
import org.eclipse.milo.opcua.stack.core.Identifiers;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.UaException;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.structured.Argument;

/**
 * The methods of the simulated machine's {@code Machine} object. Milo checks the number and
 * the types of the input arguments against the declarations before {@code invoke} runs (a
 * wrong count is Bad_ArgumentsMissing or Bad_TooManyArguments, a wrong type Bad_InvalidArgument
 * with the argument's result set); what is left to check here is the values.
 */
final class MachineMethods {

    /** What the methods act on: implemented by the namespace and the simulation runner. */
    interface Machine {

        /** Restarts every counter tag from 0. */
        void resetCounters() throws UaException;

        /**
         * Sets a writable set point.
         *
         * @return its value before, as a number (a Boolean as 0 or 1)
         * @throws UaException Bad_InvalidArgument for an unknown, read-only or text tag,
         *                     Bad_OutOfRange for a value its type cannot hold
         */
        double setSetpoint(String name, double value) throws UaException;
    }

    private MachineMethods() {
    }

    /** A method of the machine, with the arguments it declares. */
    abstract static class MachineMethod extends AbstractMethodInvocationHandler {

        final Machine machine;
        private final Argument[] inputs;
        private final Argument[] outputs;

        MachineMethod(UaMethodNode node, Machine machine, Argument[] inputs, Argument[] outputs) {
            super(node);
            this.machine = machine;
            this.inputs = inputs;
            this.outputs = outputs;
        }

        @Override
        public Argument[] getInputArguments() {
            return inputs.clone();
        }

        @Override
        public Argument[] getOutputArguments() {
            return outputs.clone();
        }
    }

    /** {@code ResetCounters()}: no arguments, no results. */
    static final class ResetCounters extends MachineMethod {

        ResetCounters(UaMethodNode node, Machine machine) {
            super(node, machine, new Argument[0], new Argument[0]);
        }

        @Override
        protected Variant[] invoke(InvocationContext context, Variant[] inputValues) throws UaException {
            machine.resetCounters();
            return new Variant[0];
        }
    }

    /** {@code SetSetpoint(name: String, value: Double) -> previous: Double}. */
    static final class SetSetpoint extends MachineMethod {

        static final Argument NAME = new Argument("name", Identifiers.String, ValueRanks.Scalar, null,
                LocalizedText.english("The set point tag, for example setpointDouble20."));
        static final Argument VALUE = new Argument("value", Identifiers.Double, ValueRanks.Scalar, null,
                LocalizedText.english("The new value; whole numbers for integer tags, 0 or 1 for Boolean tags."));
        static final Argument PREVIOUS = new Argument("previous", Identifiers.Double, ValueRanks.Scalar, null,
                LocalizedText.english("The value before the call (0 or 1 for Boolean tags)."));

        SetSetpoint(UaMethodNode node, Machine machine) {
            super(node, machine, new Argument[] {NAME, VALUE}, new Argument[] {PREVIOUS});
        }

        @Override
        protected Variant[] invoke(InvocationContext context, Variant[] inputValues) throws UaException {
            Object name = inputValues[0].getValue();
            Object value = inputValues[1].getValue();
            if (!(name instanceof String) || !(value instanceof Double)) {
                throw new UaException(StatusCodes.Bad_InvalidArgument, "SetSetpoint(name: String, value: Double)");
            }
            return new Variant[] {new Variant(machine.setSetpoint((String) name, (Double) value))};
        }
    }
}
