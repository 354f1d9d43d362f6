autoconfig := include/config/auto.conf

deps_config := \
	/work/main/build/kernel/kconfig/Kconfig.y \

$(autoconfig): $(deps_config)
$(deps_config): ;
