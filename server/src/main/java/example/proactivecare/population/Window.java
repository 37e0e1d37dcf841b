package example.proactivecare.population;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The generated period, {@code --start} to {@code --end} inclusive, in days since the epoch, with its months and fast
 * formatting of local (Europe/London) times and dates. Times are wall-clock minutes since the epoch, written with the
 * UK offset of their day.
 */
final class Window {

    static final ZoneId UK = ZoneId.of("Europe/London");
    private static final int MARGIN_DAYS = 800;

    final LocalDate start;
    final LocalDate end;
    final int startDay;
    final int endDay;
    final List<YearMonth> months;
    final int[] monthFirstDay;
    final int[] monthLastDay;
    /** The first day of the last 12 months (or of the window, if shorter). */
    final int lastYearStart;

    private final int cacheFirstDay;
    private final String[] dates;
    private final String[] offsets;

    Window(LocalDate start, LocalDate end) {
        this.start = start;
        this.end = end;
        this.startDay = (int) start.toEpochDay();
        this.endDay = (int) end.toEpochDay();
        List<YearMonth> list = new ArrayList<>();
        for (YearMonth m = YearMonth.from(start); !m.isAfter(YearMonth.from(end)); m = m.plusMonths(1)) {
            list.add(m);
        }
        this.months = List.copyOf(list);
        this.monthFirstDay = new int[months.size()];
        this.monthLastDay = new int[months.size()];
        for (int i = 0; i < months.size(); i++) {
            monthFirstDay[i] = (int) Math.max(months.get(i).atDay(1).toEpochDay(), startDay);
            monthLastDay[i] = (int) Math.min(months.get(i).atEndOfMonth().toEpochDay(), endDay);
        }
        this.lastYearStart =
                Math.max(startDay, (int) end.minusYears(1).plusDays(1).toEpochDay());
        this.cacheFirstDay = startDay - MARGIN_DAYS;
        int cacheDays = endDay - startDay + 1 + 2 * MARGIN_DAYS;
        this.dates = new String[cacheDays];
        this.offsets = new String[cacheDays];
        for (int i = 0; i < cacheDays; i++) {
            LocalDate day = LocalDate.ofEpochDay(cacheFirstDay + i);
            dates[i] = day.toString();
            offsets[i] = offset(day);
        }
    }

    int days() {
        return endDay - startDay + 1;
    }

    /** The index of the month of a day in the window, or -1 outside it. */
    int monthOf(int day) {
        if (day < startDay || day > endDay) {
            return -1;
        }
        int low = 0;
        int high = months.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (monthFirstDay[mid] <= day) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }

    String date(int day) {
        int i = day - cacheFirstDay;
        return i >= 0 && i < dates.length ? dates[i] : LocalDate.ofEpochDay(day).toString();
    }

    /** A local date-time written with seconds and the UK offset of its day, e.g. 2021-08-02T09:10:00+01:00. */
    String dateTime(long minute) {
        int day = (int) Math.floorDiv(minute, 1440);
        int minuteOfDay = (int) Math.floorMod(minute, 1440);
        int i = day - cacheFirstDay;
        String date;
        String offset;
        if (i >= 0 && i < dates.length) {
            date = dates[i];
            offset = offsets[i];
        } else {
            LocalDate local = LocalDate.ofEpochDay(day);
            date = local.toString();
            offset = offset(local);
        }
        StringBuilder text = new StringBuilder(25).append(date).append('T');
        int hour = minuteOfDay / 60;
        int min = minuteOfDay % 60;
        if (hour < 10) {
            text.append('0');
        }
        text.append(hour).append(':');
        if (min < 10) {
            text.append('0');
        }
        return text.append(min).append(":00").append(offset).toString();
    }

    private static String offset(LocalDate day) {
        ZoneOffset offset = UK.getRules().getOffset(LocalDateTime.of(day, java.time.LocalTime.NOON));
        return offset.getTotalSeconds() == 0 ? "+00:00" : offset.getId();
    }

    static int dayOfWeek(int epochDay) {
        return Math.floorMod(epochDay + 3, 7); // 0 = Monday
    }
}
