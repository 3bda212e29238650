package org.fogwerk.simulator.internal;

/**
 * The states of the simulated machine behind the {@code state} pattern. The machine follows a
 * fixed schedule, so a test can tell which state an update shows: idle 3 updates, starting 2,
 * running 8, stopping 2, idle 3, starting 2, running 5, fault 3, then again from the start.
 */
enum MachineState {
    IDLE, STARTING, RUNNING, STOPPING, FAULT;

    private static final MachineState[] SCHEDULE = schedule(
            IDLE, 3, STARTING, 2, RUNNING, 8, STOPPING, 2,
            IDLE, 3, STARTING, 2, RUNNING, 5, FAULT, 3);

    /** Updates in one full cycle of the schedule. */
    static final int CYCLE = SCHEDULE.length;

    /** The state shown at the given update (0 = the initial value). */
    static MachineState at(long update) {
        return SCHEDULE[(int) Math.floorMod(update, (long) CYCLE)];
    }

    private static MachineState[] schedule(Object... stateAndDwell) {
        int length = 0;
        for (int i = 1; i < stateAndDwell.length; i += 2) {
            length += (Integer) stateAndDwell[i];
        }
        MachineState[] schedule = new MachineState[length];
        int at = 0;
        for (int i = 0; i < stateAndDwell.length; i += 2) {
            for (int n = 0; n < (Integer) stateAndDwell[i + 1]; n++) {
                schedule[at++] = (MachineState) stateAndDwell[i];
            }
        }
        return schedule;
    }
}
