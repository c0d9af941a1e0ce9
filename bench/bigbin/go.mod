module heapspurs-bench-bigbin

go 1.19
