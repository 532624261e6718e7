"""Imported by the forkserver of `eventledger.parallel`: load the default pipeline and its data
once, so that every worker forked from that server starts warm. Import it nowhere else."""

from eventledger.pipeline import warm_up

warm_up()
