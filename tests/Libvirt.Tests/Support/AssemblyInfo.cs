// The test driver's default state is shared by every connection in the process, and
// StandardErrorCapture swaps the process-wide fd 2: run these tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
