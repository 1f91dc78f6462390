package dev.fundament.usage;

class InProcessLimitCountersTest extends LimitCountersContract {

    @Override
    LimitCounters create() {
        return new InProcessLimitCounters();
    }
}
