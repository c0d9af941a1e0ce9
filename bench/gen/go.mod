module heapspurs-bench

go 1.19
