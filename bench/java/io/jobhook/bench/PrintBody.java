package io.jobhook.bench;

/** Prints the callback body the benchmarks send, so that wrk POSTs exactly the same bytes. */
public final class PrintBody {
  public static void main(String[] args) throws Exception {
    System.out.write(CallbackBench.BODY);
    System.out.flush();
  }
}
