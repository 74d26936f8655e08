/** JMH benchmarks and the side-by-side harness. */
package dev.cairn.benchmarks;
